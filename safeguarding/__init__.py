"""Safeguarding: the one place that says who may be paired, who may message, which text may reach
the other member. ``policy`` holds the rules every path asks; ``screening`` holds the screening of
texts one member writes for another (the contact-detail detector lives in ``binomes.safeguarding``)."""
