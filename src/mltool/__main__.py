from mltool.cli.app import main

main()
