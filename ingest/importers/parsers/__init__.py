"""One module per source of statute pages. Each defines:

- `NAME`: the source's name for `--source` (e.g. "sso");
- `PRIORITY`: lower is tried first when detecting (the generic reader is last);
- `detect(page) -> bool`: whether the page is one of this source's;
- `parse(page) -> Draft`: what the page states, or `Refusal` with a message.
"""
