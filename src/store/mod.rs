//! sqlx repositories (helper fills)
