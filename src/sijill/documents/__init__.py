"""Documents issued from the register: the summary extract and the full copy, sealed.

``content`` says what a document shows, ``render`` lays it out as a PDF, ``seal``
signs its key data into a QR code, ``trust`` holds the ministry's root key and the
lists of certified and revoked office keys, ``service`` issues and verifies.
"""
