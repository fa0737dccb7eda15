"""Renderers: an analysed journey (or a diff) in, a string out.

Each module returns text and never writes files or runs programs; writing the
files (atomically) and running Graphviz happen in :mod:`journeymap.render.output`
and the CLI.

- :mod:`.html`: the workshop journey map (one self-contained HTML page)
- :mod:`.dot`: the flow diagram as Graphviz DOT
- :mod:`.mermaid`: a Mermaid ``journey`` diagram
- :mod:`.markdown`: the Markdown report
- :mod:`.escape`: escaping user text for each of these formats
"""
