//! The HTML report, checked in a real headless browser.
