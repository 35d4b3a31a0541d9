"""Nothing here on purpose: Supporting Families needs are family records, so they are read and
changed only through the pages that apply need-to-know (people/access.py), never through admin."""
