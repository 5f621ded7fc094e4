from scaleplan.cli.main import run

run()
