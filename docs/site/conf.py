# Sphinx configuration of the hwcloud.taskops documentation site (make docs).
# antsibull-docs writes the module and role pages; the guides in docs/*.md are read by myst-parser, so they
# have one source for GitHub, Galaxy and the site. The build is offline: no intersphinx inventories.

project = 'hwcloud.taskops'
copyright = 'hwcloud.taskops contributors'
title = 'hwcloud.taskops documentation'
html_short_title = 'hwcloud.taskops'

extensions = ['sphinx.ext.autodoc', 'sphinx_antsibull_ext', 'myst_parser']
source_suffix = {'.rst': 'restructuredtext', '.md': 'markdown'}
myst_heading_anchors = 3

pygments_style = 'ansible'
highlight_language = 'YAML+Jinja'

html_theme = 'sphinx_ansible_theme'
html_show_sphinx = False
display_version = False
html_use_smartypants = True
html_use_modindex = False
html_use_index = False
html_copy_source = False

intersphinx_mapping = {}
default_role = 'any'
nitpicky = True

# Labels of the Ansible docsite that the generated pages link to; they resolve only through intersphinx, which an
# offline build cannot fetch. Every other unresolved reference still fails the build.
IGNORED_LABELS = ('action_plugins', 'ansible_configuration_settings', 'common_return_values')
nitpick_ignore = [('std:ref', label) for label in IGNORED_LABELS]
