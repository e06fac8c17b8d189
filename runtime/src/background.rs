//! A server in a thread of its own, with its own actix system: how the stand-in platform and the
//! test harness run beside the code that uses them. Stopped (and the thread joined) when dropped.

use std::net::SocketAddr;

/// A server running in the background.
pub(crate) struct Background {
    pub addr: SocketAddr,
    system: actix_web::rt::System,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Background {
    /// Starts `start` (which builds, binds and answers a server and its address) in a new thread
    /// named `name`, and waits until the server listens.
    pub fn start<F>(name: &str, start: F) -> std::io::Result<Background>
    where
        F: FnOnce() -> std::io::Result<(SocketAddr, actix_web::dev::Server)> + Send + 'static,
    {
        let (sender, receiver) = std::sync::mpsc::channel();
        let thread = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                let system = actix_web::rt::System::new();
                let started = system.block_on(async move {
                    let (addr, server) = start()?;
                    actix_web::rt::spawn(server);
                    Ok::<_, std::io::Error>(addr)
                });
                let _ = sender.send(started.map(|addr| (addr, actix_web::rt::System::current())));
                system.run().ok();
            })?;
        let (addr, system) = receiver.recv().map_err(|_| {
            std::io::Error::other(format!("the {name} thread ended before it started"))
        })??;
        Ok(Background {
            addr,
            system,
            thread: Some(thread),
        })
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        self.system.stop();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
