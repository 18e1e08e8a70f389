from zhenwu.cli import main

main()
