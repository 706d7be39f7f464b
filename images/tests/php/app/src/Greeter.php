<?php
namespace Hello;

final class Greeter
{
    public static function greet(): string
    {
        return "hello from a composer autoloader";
    }
}
