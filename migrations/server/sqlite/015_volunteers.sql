-- Volunteers, version 15: `users` takes the role 'volunteer', and `logs`
-- the audience 'allocation' (a case's allocation log: what a volunteer
-- allocated to it reads). As in 011, the migration's hook
-- (`sqlite::allow_volunteers`) rewrites the two CHECK constraints' text.
SELECT 1;
