"""One router per resource; each route is thin and calls core through the caller's backend."""
