//! Waymark's UI, compiled to WebAssembly and hosted by the Tauri shell.

mod agenda;
mod app;
mod backend;
mod case;
mod caseload;
mod details;
mod exit;
mod form;
mod groups;
mod l10n;
mod linked;
mod parts;
mod programmes;
mod reports;
mod settings;
mod start;
mod supervision;
mod sync;
mod team;
mod volunteers;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
