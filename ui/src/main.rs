//! Waymark's UI, compiled to WebAssembly and hosted by the Tauri shell.

mod app;
mod backend;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
