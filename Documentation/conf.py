# SPDX-License-Identifier: GPL-2.0
#
# Sphinx configuration for the vmxlab documentation.  Build from the top of
# the tree with:
#   sphinx-build -W -b html Documentation build/docs

project = 'vmxlab'
copyright = 'the vmxlab authors'
author = 'the vmxlab authors'

# Only what Sphinx itself provides.
extensions = []

root_doc = 'index'
master_doc = 'index'
exclude_patterns = ['examples']
highlight_language = 'none'

html_theme = 'alabaster'
html_static_path = []
