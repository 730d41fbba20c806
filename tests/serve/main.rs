//! The preview server, driven from outside: a real server on an ephemeral port, real files edited on disk, pages
//! fetched over HTTP and reload events read from the event stream. Every wait has a deadline; nothing is timed.
mod browser;
mod data_files;
mod host;
mod images;
mod incremental;
mod live;
mod load;
mod malformed;
mod overlay;
mod sass;
mod site_functions;
mod slow_clients;
mod subpath;
mod support;
mod template_loops;
mod traversal;
