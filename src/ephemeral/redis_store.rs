//! Redis implementation of [`super::Ephemeral`]. (helper fills)
