"""awsdoctor: a linter and doctor for AWS CLI and SDK configuration."""

__version__ = "0.1.0"
