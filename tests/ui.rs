//! Compile-time checks of the macros: each misuse fails with one precise error on the offending
//! token (`tests/ui/fail/*.stderr`, reviewed), and correct declarations compile and run.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/fail/*.rs");
    cases.pass("tests/ui/pass/*.rs");
}
