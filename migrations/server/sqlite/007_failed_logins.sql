-- Failed logins per person, kept so administrators see an account under
-- attack (`admin list-users`): a guesser is slowed and refused per address,
-- never allowed to lock the person out; the count resets at their next
-- successful login.
ALTER TABLE users ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN last_failed_login_at INTEGER;
