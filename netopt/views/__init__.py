"""For people: the text summary (`report`), matplotlib figures (`plot`) and the HTML
report (`html_report`). The top layer below the CLI.
"""
