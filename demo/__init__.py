"""The demo programme: a realistic, fictional programme to explore the product with.

One entry point, `demo.builder.demo_build(...)` (run by `python manage.py load_demo_data`), builds the
people and their relationships (`demo.people`), then runs each step registered in
`demo.builder.STEPS`, in order, one module per app:

    recruitment, relationships (mentoring), training, safeguarding, matching, evaluation,
    resources, community

Each step is a module with `extend_demo(context)` (and, when its rows protect demo people from
deletion, `clear_demo(people)`). Steps draw every random choice from `context.rng`, so the same seed
builds the same programme.
"""
