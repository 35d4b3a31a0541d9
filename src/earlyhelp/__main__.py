from earlyhelp.cli import main

main()
