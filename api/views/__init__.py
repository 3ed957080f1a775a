"""Views of the API: thin, like the pages' — resolve through ``api.permissions`` (the pages'
selectors), validate the body with a serializer, call the same service as the page, serialize."""
