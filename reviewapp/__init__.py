"""reviewapp: review AI-assisted drafts claim by claim, and sign the review off."""

__version__ = "0.2.0"
APP_NAME = "reviewapp"  # the command, the package, the keyring service
APP_DISPLAY_NAME = "ReviewApp"  # the name windows, the About box and desktop menus show
APP_ID = "org.reviewapp.ReviewApp"
