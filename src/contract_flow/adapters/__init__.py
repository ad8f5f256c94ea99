"""The outside world: database tables and repositories, the clock, message channels."""
