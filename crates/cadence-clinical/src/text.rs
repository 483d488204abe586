//! One way to spell an enum as text: [`text_enum!`](crate::text_enum) gives a snake_case id
//! enum its `ALL`, `as_str`, `Display`, `FromStr` and serde forms, all from one list, so the
//! text stored, shown, parsed and serialized can never disagree. The clinical crate, the store
//! and the service all use it.

/// Declares a snake_case id enum with `ALL`, `as_str`, `Display`, `FromStr` (the error names
/// the accepted ids) and serde, from `Variant = "text"` pairs. Extra derives can be given as
/// attributes before the name.
#[macro_export]
macro_rules! text_enum {
    ($(#[$doc:meta])* $vis:vis $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        $vis enum $name { $($(#[$vdoc])* $variant,)+ }

        impl $name {
            /// Every value, in a stable order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];
            /// The stable id stored, shown and parsed.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)+ }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err(format!(
                        "unknown {} `{other}`: expected one of {}",
                        stringify!($name),
                        [$($text),+].join(", ")
                    )),
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    crate::text_enum!(
        /// A test enum.
        pub Fruit {
            /// An apple.
            Apple = "apple",
            /// A blood orange.
            BloodOrange = "blood_orange",
        }
    );

    #[test]
    fn every_spelling_agrees() {
        for f in Fruit::ALL {
            assert_eq!(f.as_str().parse::<Fruit>(), Ok(*f));
            assert_eq!(f.to_string(), f.as_str());
            assert_eq!(
                serde_json::to_value(f).unwrap(),
                serde_json::Value::String(f.as_str().to_owned())
            );
        }
        let err = "pear".parse::<Fruit>().unwrap_err();
        assert!(err.contains("apple, blood_orange"), "{err}");
    }
}
