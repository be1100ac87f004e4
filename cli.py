from seapt.cli import app

app()
