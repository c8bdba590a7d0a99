"""One module per dashboard panel; each has `render(warehouse, ...)`."""
