"""reviewapp: review AI-assisted drafts claim by claim, and sign the review off."""

__version__ = "0.1.0"
APP_NAME = "reviewapp"
APP_ID = "org.reviewapp.ReviewApp"
