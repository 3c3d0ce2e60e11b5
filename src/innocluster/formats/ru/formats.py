# Overrides of Django's Russian formats; the rest comes from Django's own ru module.
MONTH_DAY_FORMAT = "j E"  # "1 июля", not "1 Июль"
