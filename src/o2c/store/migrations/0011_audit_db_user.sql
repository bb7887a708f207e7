-- The database user beside the actor (issue 25). The actor is the name the application
-- passed (an identity it authenticated); on PostgreSQL every event written from now on
-- also records current_user, the role the connection acted as, and its hash covers it.
-- On SQLite there is no database user and the column stays NULL.
ALTER TABLE audit_events ADD COLUMN db_user TEXT;
