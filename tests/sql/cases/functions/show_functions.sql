-- SHOW FUNCTIONS lists every scalar and aggregate function with its signature and description.
-- jit-only: a script of only SHOW statements has no job for veloc build.
SHOW FUNCTIONS;
