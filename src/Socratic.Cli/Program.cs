// The `socratic` command.
return 0;
