//! In-process implementation of [`super::Ephemeral`]: a map with expiry. (helper fills)
