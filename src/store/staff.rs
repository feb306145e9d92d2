//! Staff roles by Telegram user id (admin, broadcaster, operator), and the audit entries of
//! staff actions written in the same transaction as the change they record.

use std::fmt;
use std::str::FromStr;

use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use super::audit::AuditEntry;
use super::values::Columns;
use super::{Db, StoreError};

const TABLE: &str = "staff";

/// What a staff member may do; a user may hold several roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Grants and revokes roles, sees everything staff can see.
    Admin,
    /// Creates and cancels broadcasts.
    Broadcaster,
    /// Answers depositors' questions, sees statistics.
    Operator,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Broadcaster, Role::Operator];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Broadcaster => "broadcaster",
            Role::Operator => "operator",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text is not one of `admin`, `broadcaster`, `operator`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role (expected admin, broadcaster or operator)")]
pub struct UnknownRole;

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Role, UnknownRole> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == s.trim().to_ascii_lowercase())
            .ok_or(UnknownRole)
    }
}

/// One role held by one user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffRole {
    pub user_id: i64,
    pub role: Role,
    /// The staff member who granted it; `None` when granted from the command line.
    pub granted_by: Option<i64>,
    pub granted_at_ms: i64,
}

fn from_row(row: &AnyRow) -> Result<StaffRole, StoreError> {
    let c = Columns::new(row, TABLE);
    Ok(StaffRole {
        user_id: c.i64("user_id")?,
        role: c.parsed("role", Role::from_str)?,
        granted_by: c.opt_i64("granted_by")?,
        granted_at_ms: c.i64("granted_at_ms")?,
    })
}

/// The audit trail's name for whoever acted: `staff:<id>`, or `cli` for the command line.
pub fn actor_name(by: Option<i64>) -> String {
    match by {
        Some(id) => format!("staff:{id}"),
        None => "cli".to_owned(),
    }
}

/// Grants `role` to `user_id`; `true` when it was not held before. Audited either way.
pub async fn grant(
    db: &Db,
    user_id: i64,
    role: Role,
    by: Option<i64>,
    now_ms: i64,
) -> Result<bool, StoreError> {
    let mut tx = db.begin_write().await?;
    let inserted = sqlx::query(
        "INSERT INTO staff (user_id, role, granted_by, granted_at_ms) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id, role) DO NOTHING",
    )
    .bind(user_id)
    .bind(role.as_str())
    .bind(by)
    .bind(now_ms)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        > 0;
    let details = if inserted {
        format!("role={role}")
    } else {
        format!("role={role}; already held")
    };
    audit_in(
        &mut tx,
        &AuditEntry {
            at_ms: now_ms,
            chat_id: None,
            actor: actor_name(by),
            action: "staff.grant".into(),
            subject: Some(format!("telegram_user:{user_id}")),
            details: Some(details),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(inserted)
}

/// Takes `role` from `user_id`; `true` when it was held. Audited either way.
pub async fn revoke(
    db: &Db,
    user_id: i64,
    role: Role,
    by: Option<i64>,
    now_ms: i64,
) -> Result<bool, StoreError> {
    let mut tx = db.begin_write().await?;
    let deleted = sqlx::query("DELETE FROM staff WHERE user_id = $1 AND role = $2")
        .bind(user_id)
        .bind(role.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected()
        > 0;
    let details = if deleted {
        format!("role={role}")
    } else {
        format!("role={role}; was not held")
    };
    audit_in(
        &mut tx,
        &AuditEntry {
            at_ms: now_ms,
            chat_id: None,
            actor: actor_name(by),
            action: "staff.revoke".into(),
            subject: Some(format!("telegram_user:{user_id}")),
            details: Some(details),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(deleted)
}

/// The roles `user_id` holds, in the order of [`Role::ALL`]; empty for non-staff.
pub async fn roles_of(db: &Db, user_id: i64) -> Result<Vec<Role>, StoreError> {
    let rows = sqlx::query(
        "SELECT user_id, role, granted_by, granted_at_ms FROM staff WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_all(db.pool())
    .await?;
    let mut roles = rows
        .iter()
        .map(|row| from_row(row).map(|s| s.role))
        .collect::<Result<Vec<_>, _>>()?;
    roles.sort();
    Ok(roles)
}

/// Every role held, by user id then role.
pub async fn list(db: &Db) -> Result<Vec<StaffRole>, StoreError> {
    let rows = sqlx::query("SELECT user_id, role, granted_by, granted_at_ms FROM staff")
        .fetch_all(db.pool())
        .await?;
    let mut all = rows.iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
    all.sort_by_key(|s| (s.user_id, s.role));
    Ok(all)
}

/// Writes an audit entry on a connection inside the caller's transaction
/// ([`super::audit::record`] takes the pool, which would commit it on its own).
pub(crate) async fn audit_in(
    conn: &mut AnyConnection,
    entry: &AuditEntry,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (at_ms, chat_id, actor, action, subject, details) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(entry.at_ms)
    .bind(entry.chat_id)
    .bind(&entry.actor)
    .bind(&entry.action)
    .bind(&entry.subject)
    .bind(&entry.details)
    .execute(conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_from_their_names_only() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert_eq!(" Admin ".parse::<Role>(), Ok(Role::Admin));
        assert_eq!("root".parse::<Role>(), Err(UnknownRole));
        assert_eq!("".parse::<Role>(), Err(UnknownRole));
    }

    #[test]
    fn actors_are_named_for_the_audit_trail() {
        assert_eq!(actor_name(Some(42)), "staff:42");
        assert_eq!(actor_name(None), "cli");
    }
}
