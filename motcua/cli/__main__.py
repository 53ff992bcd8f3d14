from motcua.cli import app

app()
