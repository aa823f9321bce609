"""Orders of documents by post: placed at the centre, produced by the office holding the
act, carried by the post, tracked to delivery or return."""
