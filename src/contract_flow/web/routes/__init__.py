"""One module per role's pages; `case` is the case page every role opens (each sees what its role may)."""
