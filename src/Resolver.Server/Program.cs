// Entry point placeholder; the host arrives with the service issue.
return 0;
