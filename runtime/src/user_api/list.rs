//! A list request: typed filters, sort, `page[limit|offset]` and `include`; one page, or a
//! `Stream` of every model that fetches the pages as it is read.

use futures_util::{Stream, TryStreamExt as _, stream};
use reqwest::Method;

use super::query::{ListFilter, Sort, query_string};
use super::resource::{Listable, Resource};
use super::scope::ScopeSet;
use super::{UserApi, decode};
use crate::api::ApiError;

/// How many models a page of [`ListRequest::stream`] asks for, unless `limit` says otherwise.
pub const STREAM_PAGE: u32 = 100;

/// A list of models of type `A`, made by `api.employees().list()` (and the like).
///
/// ```no_run
/// # async fn demo(api: envoy_plugin::user_api::UserApi<Scopes>) -> Result<(), envoy_plugin::api::ApiError> {
/// use envoy_plugin::user_api::{EmployeeFilter, Sort, SortField};
/// use futures_util::TryStreamExt as _;
///
/// // One page: the 20 newest employees of location 12.
/// let newest = api
///     .employees()
///     .list()
///     .filter(EmployeeFilter::default().locations([12]).deleted(false))
///     .sort(Sort::descending(SortField::CreatedAt))
///     .limit(20)
///     .send()
///     .await?;
/// // Every employee, page after page as the stream is read.
/// let everyone: Vec<_> = api.employees().list().stream().try_collect().await?;
/// # Ok(()) }
/// # envoy_plugin::user_scopes!(pub Scopes = [EmployeesRead]);
/// ```
pub struct ListRequest<S, A: Listable> {
    api: UserApi<S>,
    path: String,
    filter: A::Filter,
    sort: Option<Sort>,
    limit: Option<u32>,
    offset: Option<u32>,
    include: Vec<String>,
}

impl<S: ScopeSet, A: Listable> ListRequest<S, A> {
    pub(crate) fn new(api: UserApi<S>, path: String) -> Self {
        ListRequest {
            api,
            path,
            filter: A::Filter::default(),
            sort: None,
            limit: None,
            offset: None,
            include: Vec::new(),
        }
    }

    /// Filters the list (`filter[...]`).
    pub fn filter(mut self, filter: A::Filter) -> Self {
        self.filter = filter;
        self
    }

    /// Orders the list (`sort=name`, `sort=-created_at`).
    pub fn sort(mut self, sort: Sort) -> Self {
        self.sort = Some(sort);
        self
    }

    /// At most `limit` models (`page[limit]`); for a stream, the size of each page.
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Skips the first `offset` models (`page[offset]`).
    pub fn offset(mut self, offset: u32) -> Self {
        self.offset = Some(offset);
        self
    }

    /// Asks for the related models under `relationship` too; they are kept, so reading them later
    /// costs no call.
    pub fn include(mut self, relationship: impl Into<String>) -> Self {
        self.include.push(relationship.into());
        self
    }

    /// The path and query of a page.
    fn page_path(&self, limit: Option<u32>, offset: Option<u32>) -> String {
        let mut pairs = Vec::new();
        self.filter.render(&mut pairs);
        if let Some(limit) = limit {
            pairs.push(("page[limit]".to_owned(), limit.to_string()));
        }
        if let Some(offset) = offset {
            pairs.push(("page[offset]".to_owned(), offset.to_string()));
        }
        if let Some(sort) = self.sort {
            pairs.push(("sort".to_owned(), sort.to_string()));
        }
        if !self.include.is_empty() {
            pairs.push(("include".to_owned(), self.include.join(",")));
        }
        if pairs.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, query_string(&pairs))
        }
    }

    async fn fetch(
        &self,
        limit: Option<u32>,
        offset: Option<u32>,
    ) -> Result<Vec<Resource<A>>, ApiError> {
        let path = self.page_path(limit, offset);
        let document = self.api.call(Method::GET, &path, None).await?;
        decode(&path, &document["data"])
    }

    /// One request: the page the parameters describe.
    pub async fn send(&self) -> Result<Vec<Resource<A>>, ApiError> {
        self.fetch(self.limit, self.offset).await
    }

    /// Every model from `offset` on, fetched a page (`limit`, default [`STREAM_PAGE`]) at a time as
    /// the stream is read; it ends after the first page that is not full.
    pub fn stream(self) -> impl Stream<Item = Result<Resource<A>, ApiError>> + use<S, A> {
        let limit = self.limit.unwrap_or(STREAM_PAGE).max(1);
        let start = self.offset.unwrap_or(0);
        stream::try_unfold((self, Some(start)), move |(request, offset)| async move {
            let Some(offset) = offset else {
                return Ok(None);
            };
            let page = request.fetch(Some(limit), Some(offset)).await?;
            let next = (page.len() as u32 >= limit).then_some(offset + limit);
            Ok(Some((
                stream::iter(page.into_iter().map(Ok)),
                (request, next),
            )))
        })
        .try_flatten()
    }
}
