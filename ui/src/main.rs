//! Waymark's UI, compiled to WebAssembly and hosted by the Tauri shell.

mod agenda;
mod app;
mod backend;
mod case;
mod caseload;
mod form;
mod parts;
mod reports;
mod settings;
mod start;
mod sync;
mod team;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
