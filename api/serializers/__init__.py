"""Serializers of the API, one module per concern. Reads are per role: what a mentor or a mentee
sees of the other member is a separate, smaller serializer than what a coordinator sees."""
