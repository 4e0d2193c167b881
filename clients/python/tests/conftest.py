# The sample projects are run by test_plugin.py in a pytest subprocess of their own, not collected here.
collect_ignore = ["sample_project", "failing_project"]
