//! Reading the depositor's applications for status tracking. Every call takes the depositor
//! of the chat's own login; numbers typed or kept in buttons are never trusted alone.

use crate::domain::application::ApplicationNumber;
use crate::store::applications::{self, ApplicationDetail, ApplicationSummary};
use crate::store::{Db, StoreError};

/// Applications shown on one page of the list.
pub const PAGE_SIZE: u32 = 5;

#[derive(Clone)]
pub struct ApplicationsService {
    /// Shared with `services::filing`, which adds the filing use cases.
    pub(super) db: Db,
}

/// One page of a depositor's applications, newest first.
#[derive(Debug, Clone)]
pub struct Page {
    pub items: Vec<ApplicationSummary>,
    pub page: u32,
    pub pages: u32,
    pub total: u64,
}

impl ApplicationsService {
    pub fn new(db: Db) -> ApplicationsService {
        ApplicationsService { db }
    }

    /// Page `page` (from 0) of the depositor's applications; a page past the end shows the last.
    pub async fn page(&self, depositor_id: i64, page: u32) -> Result<Page, StoreError> {
        let (_, total) = applications::list_for_depositor(&self.db, depositor_id, 0, 1).await?;
        let pages = u32::try_from(total.div_ceil(u64::from(PAGE_SIZE)))
            .unwrap_or(u32::MAX)
            .max(1);
        let page = page.min(pages - 1);
        let offset = u64::from(page) * u64::from(PAGE_SIZE);
        let (items, total) =
            applications::list_for_depositor(&self.db, depositor_id, offset, PAGE_SIZE).await?;
        Ok(Page {
            items,
            page,
            pages,
            total,
        })
    }

    /// One application of this depositor with its history; `None` for anyone else's number.
    pub async fn detail(
        &self,
        depositor_id: i64,
        number: &ApplicationNumber,
    ) -> Result<Option<ApplicationDetail>, StoreError> {
        applications::get_for_depositor(&self.db, depositor_id, number).await
    }
}
