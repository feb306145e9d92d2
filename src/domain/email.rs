//! (helper fills)
