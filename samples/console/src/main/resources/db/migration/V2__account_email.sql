-- An account's e-mail address, where its builds' notifications go; null for none.
ALTER TABLE console_accounts ADD COLUMN email TEXT;
