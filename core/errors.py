class ApplicationError(Exception):
    """A business rule refused an action. The message is safe to show to the user."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
