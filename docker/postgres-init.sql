-- One database per service (each service owns its schema inside it).
create database mm_ingest;
create database mm_debit;
create database mm_ledger;
create database mm_console;
