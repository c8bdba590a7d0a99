"""One module per channel; each turns a person's story into that channel's rows."""
