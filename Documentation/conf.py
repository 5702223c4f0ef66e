# SPDX-License-Identifier: GPL-2.0
#
# Sphinx configuration for the vmxlab documentation.  Build from the top of
# the tree with `make docs`: it first writes Documentation/_generated/ (the
# exit table of exits.rst, from uapi/linux/vmxlab_tables.h and
# kmod/exits.c), then runs
#   sphinx-build -W -b html Documentation build/docs

project = 'vmxlab'
copyright = 'the vmxlab authors'
author = 'the vmxlab authors'

# Only what Sphinx itself provides.  sphinx.ext.graphviz renders the
# diagrams (Documentation/diagrams/*.dot) with Graphviz's dot at build time.
extensions = ['sphinx.ext.graphviz']
graphviz_output_format = 'svg'
graphviz_dot_args = ['-Gfontname=Helvetica', '-Nfontname=Helvetica',
                     '-Efontname=Helvetica', '-Nfontsize=11',
                     '-Efontsize=10']

root_doc = 'index'
master_doc = 'index'
exclude_patterns = ['examples']
highlight_language = 'none'

html_theme = 'alabaster'
html_static_path = []
