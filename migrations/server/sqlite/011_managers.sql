-- A manager reads every case of the organisation and changes none: `users`
-- takes the role 'manager'. SQLite cannot alter a CHECK constraint, and
-- rebuilding `users` (which other tables reference) inside a migration's
-- transaction trips their foreign keys; so the migration's hook
-- (`sqlite::allow_managers`) rewrites the constraint's text the way SQLite
-- documents for changing a CHECK (the file format is unchanged) and bumps
-- the schema version so every connection reads it anew.
SELECT 1;
