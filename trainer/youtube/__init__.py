"""YouTube Live for Trainer.

``api`` (the Data API wrapper) and ``oauth`` (connecting the channel) are plain library
code without database or Flask; the Flask layer turns ``ErrorKind`` into messages for people.
"""
