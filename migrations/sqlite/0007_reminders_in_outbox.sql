-- Booking reminders now wait in the outbox (kind 'reminder', key booking:ID:KIND); the
-- temporary table of migration 0006 goes.
DROP TABLE IF EXISTS booking_reminders;
